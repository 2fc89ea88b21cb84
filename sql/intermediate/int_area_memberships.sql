-- Which current gemeenten make up each region: GGD-regio, provincie, Nederland, custom regions.
-- Grain: region × member gemeente.
with gemeenten as (
    select * from ref_gemeenten
),

custom as (
    select * from ref_custom_regions
)

select ggd_code as area_code, 'ggd_regio' as area_level, ggd_naam as area_name, gemeente_code
from gemeenten
union all
select provincie_code, 'provincie', provincie_naam, gemeente_code
from gemeenten
union all
select 'NL01', 'land', 'Nederland', gemeente_code
from gemeenten
union all
select region_code, 'regio', region_name, gemeente_code
from custom

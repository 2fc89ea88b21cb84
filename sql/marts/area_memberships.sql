-- Member gemeenten of every region (GGD-regio, provincie, Nederland, custom regions).
-- Grain: one row per region × member gemeente.
with memberships as (
    select * from int_area_memberships
)

select
    area_code,
    area_level,
    area_name,
    gemeente_code
from memberships

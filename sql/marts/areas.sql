-- Every area with its parents: gemeenten, GGD-regio's, provincies, Nederland, custom regions.
-- Grain: one row per area_code.
with gemeenten as (
    select * from ref_gemeenten
),

memberships as (
    select * from int_area_memberships
),

region_parents as (
    select
        memberships.area_code,
        memberships.area_level,
        any_value(memberships.area_name) as area_name,
        count(*) as n_gemeenten,
        -- a region's GGD-regio / provincie when all its members share one
        if(count(distinct gemeenten.ggd_code) = 1, any_value(gemeenten.ggd_code), null)
            as ggd_code,
        if(count(distinct gemeenten.provincie_code) = 1, any_value(gemeenten.provincie_code), null)
            as provincie_code
    from memberships
    inner join gemeenten on memberships.gemeente_code = gemeenten.gemeente_code
    group by memberships.area_code, memberships.area_level
),

all_areas as (
    select
        gemeente_code as area_code,
        'gemeente' as area_level,
        gemeente_naam as area_name,
        ggd_code,
        provincie_code,
        1 as n_gemeenten
    from gemeenten
    union all
    select area_code, area_level, area_name, ggd_code, provincie_code, n_gemeenten
    from region_parents
),

names as (
    select distinct ggd_code, ggd_naam, provincie_code, provincie_naam from gemeenten
)

select
    -- keys
    all_areas.area_code,
    all_areas.area_level,
    all_areas.area_name,
    -- parents
    all_areas.ggd_code as ggd_regio_code,
    (select any_value(ggd_naam) from names where names.ggd_code = all_areas.ggd_code)
        as ggd_regio_name,
    all_areas.provincie_code,
    (select any_value(provincie_naam) from names
        where names.provincie_code = all_areas.provincie_code) as provincie_name,
    'NL01' as land_code,
    -- size
    all_areas.n_gemeenten,
    case all_areas.area_level
        when 'land' then 0 when 'provincie' then 1 when 'ggd_regio' then 2
        when 'regio' then 3 else 4
    end as level_order
from all_areas

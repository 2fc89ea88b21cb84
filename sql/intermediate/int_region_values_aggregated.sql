-- Region values computed from the summed counts of their member gemeenten (never by averaging
-- percentages). A region with a member whose count is unknown cannot be computed.
-- Grain: indicator × region × period.
with gemeente_values as (
    select * from int_gemeente_values_pooled
),

memberships as (
    select * from int_area_memberships
),

joined as (
    select
        memberships.area_code as region_code,
        memberships.area_level as region_level,
        gemeente_values.*
    from gemeente_values
    inner join memberships on gemeente_values.area_code = memberships.gemeente_code
),

aggregated as (
    select
        -- keys
        indicator_id,
        source_id,
        region_code as area_code,
        region_level as area_level,
        period_start_year,
        period_end_year,
        -- members
        count(*) as n_members,
        count(*) filter (where status = 'ok' and numerator is not null) as n_counted,
        count(*) filter (where status = 'ok') as n_ok,
        count(denominator) as n_with_denominator,
        -- counts (a count indicator such as births has no denominator)
        sum(numerator) as numerator,
        if(count(denominator) = count(*), sum(denominator), null) as denominator,
        -- provenance
        min(source_classification_year) as source_classification_year,
        string_agg(distinct snapshot_ids, ',') as snapshot_ids
    from joined
    group by all
)

select
    indicator_id,
    source_id,
    area_code,
    area_level,
    period_start_year,
    period_end_year,
    case when n_counted = n_members then numerator end as numerator,
    case when n_counted = n_members then denominator end as denominator,
    null::double as published_value,
    case when n_counted = n_members then 'ok' else 'missing' end as status,
    case
        when n_counted = n_members then null
        when n_ok = n_members
            then 'de bron geeft per gemeente alleen percentages; regiowaarde niet te berekenen'
        else (n_members - n_counted) || ' van ' || n_members
            || ' gemeenten onderdrukt of ontbrekend in de bron; regiowaarde niet te berekenen'
    end as status_reason,
    source_classification_year,
    snapshot_ids,
    false as is_source_total
from aggregated

-- Every current gemeente for every indicator and period a source covers; gemeenten the source
-- does not deliver are present with status 'missing'.
-- Grain: indicator × current gemeente × period.
with harmonised as (
    select * from int_gemeente_values_harmonised
),

gemeenten as (
    select * from ref_gemeenten
),

periods as (
    select distinct indicator_id, source_id, period_start_year, period_end_year
    from harmonised
),

spine as (
    select
        periods.*,
        gemeenten.gemeente_code as area_code
    from periods
    cross join gemeenten
)

select
    -- keys
    spine.indicator_id,
    spine.source_id,
    spine.area_code,
    'gemeente' as area_level,
    spine.period_start_year,
    spine.period_end_year,
    -- counts
    harmonised.numerator,
    harmonised.denominator,
    harmonised.published_value,
    -- status
    coalesce(harmonised.status, 'missing') as status,
    case when harmonised.status is null then 'niet geleverd door de bron'
        else harmonised.status_reason end as status_reason,
    -- provenance
    harmonised.source_classification_year,
    harmonised.snapshot_ids,
    false as is_source_total
from spine
left join harmonised
    on spine.indicator_id = harmonised.indicator_id
    and spine.area_code = harmonised.area_code
    and spine.period_start_year = harmonised.period_start_year
    and spine.period_end_year = harmonised.period_end_year

-- The heart of the monitor: every indicator for every area and period (single years and pooled
-- 3- and 5-year periods), with numerator, denominator, value, 95% and 99.8% intervals, an
-- empirical-Bayes smoothed value for gemeenten, status and provenance. Disclosure control
-- (primary and complementary suppression) has been applied.
-- Grain: one row per indicator_id × area_code × period_start_year × period_end_year.
with disclosed as (
    select * from int_indicator_values_protected
),

smoothed as (
    select * from int_indicator_values_smoothed
),

indicators as (
    select * from ref_indicators
),

areas as (
    select area_code, area_name from int_area_memberships
    union
    select gemeente_code, gemeente_naam from ref_gemeenten
),

context as (
    select * from build_context
),

valued as (
    select
        disclosed.*,
        indicators.unit,
        indicators.multiplier,
        indicators.ci_method as method,
        disclosed.status = 'ok' and disclosed.numerator is not null
            and disclosed.denominator > 0 as has_counts
    from disclosed
    inner join indicators on disclosed.indicator_id = indicators.indicator_id
)

select
    -- keys
    valued.indicator_id,
    valued.area_code,
    valued.area_level,
    areas.area_name,
    valued.period_start_year,
    valued.period_end_year,
    if(valued.period_start_year = valued.period_end_year,
        valued.period_start_year::varchar,
        valued.period_start_year || '–' || valued.period_end_year) as period_label,
    -- counts
    valued.numerator,
    valued.denominator,
    -- value in the indicator's unit
    case
        when valued.status != 'ok' then null
        when valued.method = 'poisson' then valued.numerator
        when valued.has_counts then valued.numerator / valued.denominator * valued.multiplier
        else valued.published_value
    end as value,
    -- intervals
    case
        when valued.method = 'wilson' and valued.has_counts
            then wilson_lower(valued.numerator, valued.denominator, 0.95) * valued.multiplier
        when valued.method = 'poisson' and valued.status = 'ok'
            then poisson_lower(valued.numerator, 0.95)
    end as ci_lower,
    case
        when valued.method = 'wilson' and valued.has_counts
            then wilson_upper(valued.numerator, valued.denominator, 0.95) * valued.multiplier
        when valued.method = 'poisson' and valued.status = 'ok'
            then poisson_upper(valued.numerator, 0.95)
    end as ci_upper,
    case
        when valued.method = 'wilson' and valued.has_counts
            then wilson_lower(valued.numerator, valued.denominator, 0.998) * valued.multiplier
        when valued.method = 'poisson' and valued.status = 'ok'
            then poisson_lower(valued.numerator, 0.998)
    end as ci_lower_998,
    case
        when valued.method = 'wilson' and valued.has_counts
            then wilson_upper(valued.numerator, valued.denominator, 0.998) * valued.multiplier
        when valued.method = 'poisson' and valued.status = 'ok'
            then poisson_upper(valued.numerator, 0.998)
    end as ci_upper_998,
    case
        when valued.method = 'wilson' and valued.has_counts then 'Wilson score'
        when valued.method = 'poisson' and valued.status = 'ok' and valued.numerator >= 10
            then 'Byar'
        when valued.method = 'poisson' and valued.status = 'ok' then 'exact Poisson'
    end as ci_method,
    0.95::double as confidence,
    valued.unit,
    -- modelled value (gemeenten only, never for a suppressed cell)
    if(valued.status = 'ok', smoothed.value_smoothed::double, null) as value_smoothed,
    if(valued.status = 'ok', smoothed.smoothing_method::varchar, null) as smoothing_method,
    -- status
    valued.status,
    valued.status_reason,
    -- provenance
    valued.source_id,
    valued.snapshot_ids,
    context.boundary_year,
    valued.source_classification_year::integer as source_classification_year,
    valued.is_source_total,
    context.is_demo
from valued
left join areas on valued.area_code = areas.area_code
left join smoothed
    on valued.indicator_id = smoothed.indicator_id
    and valued.area_code = smoothed.area_code
    and valued.period_start_year = smoothed.period_start_year
    and valued.period_end_year = smoothed.period_end_year
cross join context

-- Gemeente values plus pooled multi-year periods (METHODS.md, "Pooling"): for every proportion
-- indicator with yearly counts, the latest 3-year and the latest 5-year period (e.g. 2022–2024
-- and 2020–2024), computed by summing the yearly numerators and denominators. Only these two
-- nested periods: with partly overlapping pooled periods single years become computable from
-- pooled figures alone (2019 = [2019–2021] + [2022–2024] − [2020–2024]), which would defeat
-- the suppression of small yearly numbers. A pooled period the source delivers itself (e.g.
-- Perined's 3-year figures for small gemeenten) is kept as delivered; only where the source has
-- no figure for a gemeente is the sum of the years used. A period with a year that is
-- suppressed, missing or not harmonisable is missing (never partially summed).
-- Grain: indicator × current gemeente × period.
with gemeente_values as (
    select * from int_gemeente_values_complete
),

indicators as (
    select indicator_id from ref_indicators
    where ci_method = 'wilson'
),

yearly as (
    select gemeente_values.*
    from gemeente_values
    inner join indicators on gemeente_values.indicator_id = indicators.indicator_id
    where gemeente_values.period_start_year = gemeente_values.period_end_year
),

bounds as (
    select
        indicator_id,
        min(period_start_year) as first_year,
        max(period_end_year) as last_year
    from yearly
    group by indicator_id
    -- only indicators with yearly counts
    having count(numerator) > 0 and count(denominator) > 0
),

blocks as (
    select
        bounds.indicator_id,
        lengths.n_years,
        bounds.last_year - lengths.n_years + 1 as start_year,
        bounds.last_year as end_year
    from bounds
    cross join (values (3), (5)) as lengths (n_years)
    where bounds.last_year - lengths.n_years + 1 >= bounds.first_year
),

summed as (
    select
        -- keys
        yearly.indicator_id,
        yearly.source_id,
        yearly.area_code,
        blocks.start_year as period_start_year,
        blocks.end_year as period_end_year,
        any_value(blocks.n_years) as n_years,
        -- years
        count(*) filter (
            where yearly.status = 'ok'
                and yearly.numerator is not null
                and yearly.denominator is not null
        ) as n_counted,
        -- counts
        sum(yearly.numerator) as numerator,
        sum(yearly.denominator) as denominator,
        -- provenance
        min(yearly.source_classification_year) as source_classification_year,
        string_agg(distinct yearly.snapshot_ids, ',') as snapshot_ids
    from yearly
    inner join blocks
        on yearly.indicator_id = blocks.indicator_id
        and yearly.period_start_year between blocks.start_year and blocks.end_year
    group by all
),

computed as (
    select
        -- keys
        indicator_id,
        source_id,
        area_code,
        'gemeente' as area_level,
        period_start_year,
        period_end_year,
        -- counts
        if(n_counted = n_years, numerator, null) as numerator,
        if(n_counted = n_years, denominator, null) as denominator,
        null::double as published_value,
        -- status
        if(n_counted = n_years, 'ok', 'missing') as status,
        if(n_counted = n_years,
            'gepoolde periode: tellers en noemers van ' || period_start_year || ' t/m '
            || period_end_year || ' opgeteld',
            'gepoolde periode niet te berekenen: ' || (n_years - n_counted) || ' van '
            || n_years || ' jaren onderdrukt of ontbrekend') as status_reason,
        -- provenance
        source_classification_year,
        snapshot_ids,
        false as is_source_total
    from summed
),

kept as (
    -- everything as it was, except a missing pooled row the sum of the years replaces
    select gemeente_values.*
    from gemeente_values
    left join computed
        on gemeente_values.indicator_id = computed.indicator_id
        and gemeente_values.area_code = computed.area_code
        and gemeente_values.period_start_year = computed.period_start_year
        and gemeente_values.period_end_year = computed.period_end_year
    where computed.area_code is null or gemeente_values.status != 'missing'
),

added as (
    select computed.*
    from computed
    left join gemeente_values
        on computed.indicator_id = gemeente_values.indicator_id
        and computed.area_code = gemeente_values.area_code
        and computed.period_start_year = gemeente_values.period_start_year
        and computed.period_end_year = gemeente_values.period_end_year
    where gemeente_values.area_code is null or gemeente_values.status = 'missing'
)

select * from kept
union all by name
select * from added

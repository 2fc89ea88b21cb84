-- Gemeente and region values together. Region rows come from summed member counts; a national
-- total the source delivers itself (e.g. CBS NL01, which includes residents without a gemeente)
-- is kept instead of the sum and labelled; a delivered GGD/provincie total is used only where
-- the sum cannot be computed.
-- Grain: indicator × area × period.
with gemeente_values as (
    select * from int_gemeente_values_pooled
),

region_values as (
    select * from int_region_values_aggregated
),

source_totals as (
    select
        indicator_id,
        source_id,
        area_code,
        period_start_year,
        period_end_year,
        numerator,
        denominator,
        published_value,
        source_status as status,
        classification_year as source_classification_year,
        snapshot_id as snapshot_ids
    from int_observations_unioned
    where source_area_level in ('land', 'ggd_regio', 'provincie')
),

regions_resolved as (
    select
        r.indicator_id,
        r.source_id,
        r.area_code,
        r.area_level,
        r.period_start_year,
        r.period_end_year,
        (t.area_code is not null
            and (r.area_level = 'land' or r.status != 'ok')) as use_source_total,
        r.numerator as r_numerator,
        r.denominator as r_denominator,
        r.status as r_status,
        r.status_reason as r_status_reason,
        r.source_classification_year as r_classification_year,
        r.snapshot_ids as r_snapshot_ids,
        t.numerator as t_numerator,
        t.denominator as t_denominator,
        t.published_value as t_published_value,
        t.status as t_status,
        t.source_classification_year as t_classification_year,
        t.snapshot_ids as t_snapshot_ids
    from region_values as r
    left join source_totals as t
        on r.indicator_id = t.indicator_id
        and r.source_id = t.source_id
        and r.area_code = t.area_code
        and r.period_start_year = t.period_start_year
        and r.period_end_year = t.period_end_year
),

regions as (
    select
        indicator_id,
        source_id,
        area_code,
        area_level,
        period_start_year,
        period_end_year,
        if(use_source_total, t_numerator, r_numerator) as numerator,
        if(use_source_total, t_denominator, r_denominator) as denominator,
        if(use_source_total, t_published_value, null) as published_value,
        if(use_source_total, t_status, r_status) as status,
        if(use_source_total, 'totaal zoals geleverd door de bron', r_status_reason)
            as status_reason,
        if(use_source_total, t_classification_year, r_classification_year)
            as source_classification_year,
        if(use_source_total, t_snapshot_ids, r_snapshot_ids) as snapshot_ids,
        use_source_total as is_source_total
    from regions_resolved
)

select * from gemeente_values
union all by name
select * from regions

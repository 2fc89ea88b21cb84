-- Regions' pooled periods made consistent with their yearly values. A region's pooled value is
-- normally the sum of its member gemeenten's pooled counts (int_region_values_aggregated). Where
-- that sum cannot be computed but every year of the region is known (e.g. a GGD-regio or
-- Nederland whose yearly value is the total the source delivers), the pooled value is the sum
-- of the region's yearly counts; Nederland always uses the sum of the yearly totals the source
-- delivers, so that its pooled value equals the sum of its published years.
-- Grain: indicator × area × period.
with combined as (
    select * from int_indicator_values_combined
),

pooled_regions as (
    select
        -- keys
        region.indicator_id,
        region.area_code,
        region.period_start_year,
        region.period_end_year,
        -- years
        count(*) as n_years,
        count(*) filter (
            where years.status = 'ok'
                and years.numerator is not null
                and years.denominator is not null
        ) as n_counted,
        -- counts
        sum(years.numerator) as numerator,
        sum(years.denominator) as denominator,
        bool_or(years.is_source_total) as any_source_total,
        -- provenance
        min(years.source_classification_year) as source_classification_year,
        string_agg(distinct years.snapshot_ids, ',') as snapshot_ids
    from combined as region
    inner join combined as years
        on region.indicator_id = years.indicator_id
        and region.area_code = years.area_code
        and years.period_start_year = years.period_end_year
        and years.period_start_year between region.period_start_year and region.period_end_year
    where region.area_level != 'gemeente'
        and region.period_start_year < region.period_end_year
    group by all
    having count(*) = region.period_end_year - region.period_start_year + 1
),

resolved as (
    select
        combined.*,
        coalesce(
            pooled_regions.n_counted = pooled_regions.n_years
            and (
                combined.status != 'ok'
                or (combined.area_level = 'land' and pooled_regions.any_source_total)
            ),
            false
        ) as use_yearly_sum,
        pooled_regions.numerator as y_numerator,
        pooled_regions.denominator as y_denominator,
        pooled_regions.any_source_total as y_source_total,
        pooled_regions.source_classification_year as y_classification_year,
        pooled_regions.snapshot_ids as y_snapshot_ids
    from combined
    left join pooled_regions
        on combined.indicator_id = pooled_regions.indicator_id
        and combined.area_code = pooled_regions.area_code
        and combined.period_start_year = pooled_regions.period_start_year
        and combined.period_end_year = pooled_regions.period_end_year
)

select
    -- keys
    indicator_id,
    source_id,
    area_code,
    area_level,
    period_start_year,
    period_end_year,
    -- counts
    if(use_yearly_sum, y_numerator, numerator) as numerator,
    if(use_yearly_sum, y_denominator, denominator) as denominator,
    if(use_yearly_sum, null, published_value) as published_value,
    -- status
    if(use_yearly_sum, 'ok', status) as status,
    case
        when not use_yearly_sum then status_reason
        when y_source_total
            then 'gepoolde periode: som van de jaartotalen zoals geleverd door de bron'
        else 'gepoolde periode: som van de jaarwaarden'
    end as status_reason,
    -- provenance
    if(use_yearly_sum, y_classification_year, source_classification_year)
        as source_classification_year,
    if(use_yearly_sum, y_snapshot_ids, snapshot_ids) as snapshot_ids,
    if(use_yearly_sum, y_source_total, is_source_total) as is_source_total
from resolved

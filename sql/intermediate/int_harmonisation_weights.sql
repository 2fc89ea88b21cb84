-- Weights for harmonising a percentages-only source over gemeente mergers (DESIGN §5): for each
-- indicator in ref_harmonisation_weights (pipeline/geography.py documents why), the count of the
-- weight indicator (e.g. CBS live births) of every published gemeente code, shifted to the
-- period it weighs (report year = birth year + cohort_offset_years).
-- Grain: indicator × source gemeente code (as published, before harmonisation) × year weighed.
with specs as (
    select * from ref_harmonisation_weights
),

observations as (
    select * from int_observations_unioned
    where source_area_level = 'gemeente'
        and period_start_year = period_end_year
        and source_status = 'ok'
        and numerator > 0
)

select
    -- keys
    specs.indicator_id,
    observations.area_code as source_area_code,
    observations.period_start_year + specs.cohort_offset_years as period_year,
    -- weight
    max(observations.numerator) as weight,
    observations.period_start_year as weight_year,
    specs.weight_label
from specs
inner join observations on observations.indicator_id = specs.weight_indicator_id
group by all

-- The indicator catalogue (pipeline/indicators.yml) as a table.
-- Grain: one row per indicator_id.
with catalogue as (
    select * from ref_indicators
)

select
    indicator_id,
    title,
    definition,
    numerator,
    denominator,
    unit,
    multiplier,
    polarity,
    phase,
    kind,
    source_id,
    source_codes,
    period_kind,
    suppression_threshold,
    ci_method,
    headline,
    sort_order
from catalogue

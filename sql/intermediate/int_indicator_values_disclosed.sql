-- Disclosure control, primary step: a value is suppressed when its numerator, its non-events
-- (denominator − numerator) or its denominator is below the indicator's threshold (RIVM's rule,
-- default 10). Suppressed rows keep their reason and lose their figures; no row is dropped.
-- Grain: indicator × area × period.
with combined as (
    select * from int_indicator_values_pooled
),

indicators as (
    select indicator_id, suppression_threshold from ref_indicators
),

flagged as (
    select
        combined.*,
        combined.status = 'ok'
        and indicators.suppression_threshold is not null
        and combined.numerator is not null
        and (
            combined.numerator < indicators.suppression_threshold
            or combined.denominator - combined.numerator < indicators.suppression_threshold
            or combined.denominator < indicators.suppression_threshold
        ) as is_primary_suppressed,
        indicators.suppression_threshold
    from combined
    inner join indicators on combined.indicator_id = indicators.indicator_id
)

select
    -- keys
    indicator_id,
    source_id,
    area_code,
    area_level,
    period_start_year,
    period_end_year,
    -- figures: only published when the row is ok
    if(is_primary_suppressed or status != 'ok', null, numerator) as numerator,
    if(is_primary_suppressed or status != 'ok', null, denominator) as denominator,
    if(is_primary_suppressed or status != 'ok', null, published_value) as published_value,
    -- status
    if(is_primary_suppressed, 'suppressed', status) as status,
    if(is_primary_suppressed,
        'minder dan ' || suppression_threshold
        || ' in teller, niet-teller of noemer (primaire onderdrukking)',
        status_reason) as status_reason,
    -- provenance
    source_classification_year,
    snapshot_ids,
    is_source_total
from flagged

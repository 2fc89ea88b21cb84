-- One row per published area × period × measure of cbs_laag_inkomen, codes and periods standardised.
-- Grain: source file row × measure. No joins, no aggregation.
with source as (
    select * from landing_cbs_laag_inkomen__observations
),

renamed as (
    select
        -- keys
        'cbs_laag_inkomen' as source_id,
        std_area_code(area_code) as area_code,
        area_name,
        classification_year,
        indicator_code,
        period_label,
        period_start_year(period_label) as period_start_year,
        period_end_year(period_label) as period_end_year,
        -- counts and published value
        numerator,
        coalesce(denominator, numerator + non_events) as denominator,
        value as published_value,
        -- status
        source_status(marker, numerator, value) as source_status,
        marker,
        -- provenance
        source_file,
        source_row,
        _snapshot_id as snapshot_id
    from source
)

select * from renamed
where period_start_year is not null

-- Population on 1 January of cbs_bevolking (CBS 03759ned) per area × year × sex × age group,
-- codes and periods standardised; the age group '15_20' split into its bounds (15 ≤ age < 20).
-- Grain: area × period × sex × age group. No joins, no aggregation (summing women 15–45 is
-- for the intermediate layer).
with source as (
    select * from landing_cbs_bevolking__observations
),

renamed as (
    select
        -- keys
        'cbs_bevolking' as source_id,
        std_area_code(area_code) as area_code,
        classification_year,
        indicator_code,
        split_part(indicator_code, '__', 1) as measure,
        split_part(indicator_code, '__', 2) as sex,
        split_part(indicator_code, '__', 3) as age_group,
        try_cast(split_part(split_part(indicator_code, '__', 3), '_', 1) as integer) as age_from,
        try_cast(split_part(split_part(indicator_code, '__', 3), '_', 2) as integer) as age_to,
        period_label,
        period_start_year(period_label) as period_start_year,
        period_end_year(period_label) as period_end_year,
        -- counts
        numerator as population,
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

-- Gemeente observations harmonised to the current (2025) gemeenten through the code history.
-- Merges sum counts; a merged value with a suppressed or missing part stays unknown; a split
-- gemeente is not_harmonisable; a source that publishes only percentages cannot be merged.
-- Grain: indicator × source × current gemeente × period.
with observations as (
    select * from int_observations_unioned
    where source_area_level = 'gemeente'
),

codes as (
    select * from ref_gemeente_codes
),

mapped as (
    select
        observations.*,
        codes.gemeente_code_2025,
        codes.gesplitst = 1 as is_split
    from observations
    inner join codes on observations.area_code = codes.gemeente_code
),

grouped as (
    select
        -- keys
        indicator_id,
        source_id,
        gemeente_code_2025 as area_code,
        period_start_year,
        period_end_year,
        -- parts
        count(*) as n_parts,
        bool_or(is_split) as has_split,
        bool_and(source_status = 'ok') as all_parts_ok,
        bool_and(numerator is not null and denominator is not null) as all_parts_counted,
        bool_or(source_status = 'suppressed') as any_part_suppressed,
        -- counts
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        any_value(published_value) filter (where source_status = 'ok') as published_value,
        -- provenance
        min(classification_year) as source_classification_year,
        string_agg(distinct area_code, ',' order by area_code) as source_area_codes,
        string_agg(distinct snapshot_id, ',' order by snapshot_id) as snapshot_ids,
        string_agg(distinct marker, ',') as markers
    from mapped
    group by all
),

classified as (
    select
        *,
        case
            when has_split then 'not_harmonisable'
            when n_parts > 1 and all_parts_ok and not all_parts_counted then 'not_harmonisable'
            when all_parts_ok then 'ok'
            when any_part_suppressed then 'suppressed'
            else 'missing'
        end as status,
        case
            when has_split
                then 'gemeente gesplitst bij herindeling; niet om te rekenen naar de huidige indeling'
            when n_parts > 1 and all_parts_ok and not all_parts_counted
                then 'samengevoegde gemeente; de bron geeft alleen percentages, zonder aantallen niet te combineren'
            when all_parts_ok and n_parts > 1
                then 'samengevoegd uit ' || source_area_codes || ' (indeling ' || source_classification_year || ')'
            when all_parts_ok then null
            when n_parts > 1 and any_part_suppressed
                then 'samengevoegde gemeente met een onderdrukt deel in de bron (' || source_area_codes || ')'
            when any_part_suppressed then 'onderdrukt in de bron (' || markers || ')'
            else 'geen waarde in de bron'
        end as status_reason
    from grouped
)

select * from classified

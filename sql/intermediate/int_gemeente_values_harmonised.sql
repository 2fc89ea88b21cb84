-- Gemeente observations harmonised to the current (2025) gemeenten through the code history.
-- Merges sum counts; a merged value with a suppressed or missing part stays unknown (never
-- partially summed); a split gemeente is not_harmonisable. A source that publishes only
-- percentages is merged as the mean of its parts weighted by a documented denominator
-- (int_harmonisation_weights, e.g. CBS births of the cohort) when every part has one, and is
-- not_harmonisable otherwise. Unchanged gemeenten carry over as they are.
-- Grain: indicator × source × current gemeente × period.
with observations as (
    select * from int_observations_unioned
    where source_area_level = 'gemeente'
),

codes as (
    select * from ref_gemeente_codes
),

weights as (
    select * from int_harmonisation_weights
),

mapped as (
    select
        observations.*,
        codes.gemeente_code_2025,
        codes.gesplitst = 1 as is_split,
        weights.weight,
        weights.weight_year,
        weights.weight_label
    from observations
    inner join codes on observations.area_code = codes.gemeente_code
    left join weights
        on observations.indicator_id = weights.indicator_id
        and observations.area_code = weights.source_area_code
        and observations.period_start_year = weights.period_year
        and observations.period_start_year = observations.period_end_year
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
        bool_and(published_value is not null and weight is not null) as all_parts_weighted,
        bool_or(source_status = 'suppressed') as any_part_suppressed,
        -- counts
        sum(numerator) as numerator,
        sum(denominator) as denominator,
        any_value(published_value) filter (where source_status = 'ok') as published_value,
        sum(weight * published_value) / nullif(sum(weight), 0) as weighted_value,
        any_value(weight_label) as weight_label,
        min(weight_year) as weight_year,
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
        n_parts > 1 and all_parts_ok and not all_parts_counted as is_percentages_merge,
        case
            when has_split then 'not_harmonisable'
            when n_parts > 1 and all_parts_ok and not all_parts_counted and all_parts_weighted
                then 'ok'
            when n_parts > 1 and all_parts_ok and not all_parts_counted then 'not_harmonisable'
            when all_parts_ok then 'ok'
            when any_part_suppressed then 'suppressed'
            else 'missing'
        end as status,
        case
            when has_split
                then 'gemeente gesplitst bij herindeling; niet om te rekenen naar de huidige indeling'
            when n_parts > 1 and all_parts_ok and not all_parts_counted and all_parts_weighted
                then 'samengevoegd uit ' || source_area_codes || ' (indeling '
                    || source_classification_year || '); de bron geeft alleen percentages: '
                    || 'gewogen gemiddelde met als gewicht ' || weight_label || ' ('
                    || weight_year || ')'
            when n_parts > 1 and all_parts_ok and not all_parts_counted
                then 'samengevoegde gemeente; de bron geeft alleen percentages en er is geen '
                    || 'weging (noemer per deelgemeente) beschikbaar; niet te combineren'
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

select
    -- keys
    indicator_id,
    source_id,
    area_code,
    period_start_year,
    period_end_year,
    -- counts: a merged value is only known when every part is
    if(status = 'ok', numerator, null) as numerator,
    if(status = 'ok', denominator, null) as denominator,
    case
        when status != 'ok' then null
        when is_percentages_merge then weighted_value
        when n_parts > 1 then null  -- a merged percentage comes from the summed counts
        else published_value
    end as published_value,
    -- status
    status,
    status_reason,
    -- provenance
    n_parts,
    source_area_codes,
    source_classification_year,
    snapshot_ids
from classified

-- Coalition progress: per area, assessment year and checklist row, how many gemeenten meet it.
-- Grain: one row per area_code × assessment_year × requirement_id (see coalition_progress.yml).
-- 'Met' = answered 'ja'; 'deels' is counted apart and is not met. Shares are among the assessed
-- gemeenten that answered the question; gemeenten without an assessment (n_not_assessed) and
-- empty answers (n_onbekend) are counted apart, never as 'nee'.
with aggregated as (
    select * from int_coalition_progress_aggregated
),

requirements as (
    select * from int_coalition_requirements_listed
),

assessments as (
    select * from stg_coalitie_status__assessments
),

context as (
    select * from build_context
),

provenance as (
    select string_agg(distinct snapshot_id, ',' order by snapshot_id) as snapshot_ids
    from assessments
),

shares as (
    select
        aggregated.*,
        aggregated.n_gemeenten - aggregated.n_assessed as n_not_assessed,
        aggregated.n_ja + aggregated.n_deels + aggregated.n_nee as n_answered,
        if(aggregated.n_ja + aggregated.n_deels + aggregated.n_nee > 0,
            100.0 * aggregated.n_ja / (aggregated.n_ja + aggregated.n_deels + aggregated.n_nee),
            null) as share_met_pct,
        if(aggregated.n_ja + aggregated.n_deels + aggregated.n_nee > 0,
            100.0 * aggregated.n_deels
            / (aggregated.n_ja + aggregated.n_deels + aggregated.n_nee),
            null) as share_partly_pct
    from aggregated
),

with_previous as (
    select
        shares.*,
        -- the latest earlier year in which this area answered this question
        max(if(shares.n_answered > 0, shares.assessment_year, null)) over (
            partition by shares.area_code, shares.requirement_id
            order by shares.assessment_year
            rows between unbounded preceding and 1 preceding
        ) as previous_assessment_year
    from shares
)

select
    -- keys
    current.area_code,
    current.area_level,
    current.area_name,
    current.assessment_year::integer as assessment_year,
    current.requirement_id,
    -- the checklist row
    requirements.requirement_order,
    requirements.requirement_kind,
    requirements.requirement_short_label,
    requirements.requirement_label,
    -- counts of gemeenten
    current.n_gemeenten::integer as n_gemeenten,
    current.n_assessed::integer as n_assessed,
    current.n_not_assessed::integer as n_not_assessed,
    current.n_answered::integer as n_answered,
    current.n_ja::integer as n_ja,
    current.n_deels::integer as n_deels,
    current.n_nee::integer as n_nee,
    current.n_onbekend::integer as n_onbekend,
    -- shares among the assessed gemeenten that answered (0–100)
    current.share_met_pct,
    current.share_partly_pct,
    -- change since the previous assessment
    current.previous_assessment_year::integer as previous_assessment_year,
    previous.share_met_pct as share_met_pct_previous,
    current.share_met_pct - previous.share_met_pct as change_pct_points,
    -- the gemeente's own assessment (gemeente rows only)
    current.status,
    previous.status as previous_status,
    current.remarks,
    current.n_requirements_met::integer as n_requirements_met,
    case
        when current.area_level != 'gemeente' then null
        when current.n_requirements_met = 9 then true
        when alle_negen.status = 'nee' then false
    end as meets_all_nine,
    current.assessment_date,
    -- provenance
    'coalitie_status' as source_id,
    provenance.snapshot_ids,
    context.boundary_year,
    2025 as source_classification_year,
    context.is_demo
from with_previous as current
inner join requirements on current.requirement_id = requirements.requirement_id
left join shares as previous
    on current.area_code = previous.area_code
    and current.requirement_id = previous.requirement_id
    and current.previous_assessment_year = previous.assessment_year
left join shares as alle_negen
    on current.area_code = alle_negen.area_code
    and current.assessment_year = alle_negen.assessment_year
    and alle_negen.requirement_id = 'alle_negen'
cross join provenance
cross join context

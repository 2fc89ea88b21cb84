-- Every current gemeente for every assessment year in the data, with its status per checklist
-- row, including the derived 'alle_negen' and gemeenten that sent no assessment that year.
-- Grain: gemeente_code × assessment_year × requirement_id.
-- status: 'ja' / 'deels' / 'nee' as answered; 'onbekend' = assessed but this question left
-- empty; 'geen_beoordeling' = no assessment from this gemeente for this year (never 'nee').
-- 'alle_negen': 'ja' when all nine are 'ja'; 'nee' when any is 'nee' or 'deels' (deels is not
-- met); otherwise 'onbekend'.
with gemeenten as (
    select * from ref_gemeenten
),

requirements as (
    select * from int_coalition_requirements_listed
),

answers as (
    select * from int_coalition_answers_unpivoted
),

years as (
    select distinct assessment_year from answers
),

assessed as (
    select distinct
        gemeente_code,
        assessment_year,
        assessment_date,
        source_file,
        source_row
    from answers
),

grid as (
    select
        gemeenten.gemeente_code,
        years.assessment_year,
        requirements.requirement_id
    from gemeenten
    cross join years
    cross join requirements
    where requirements.requirement_id != 'alle_negen'
),

answered as (
    select
        grid.gemeente_code,
        grid.assessment_year,
        grid.requirement_id,
        assessed.gemeente_code is not null as has_assessment,
        case
            when assessed.gemeente_code is null then 'geen_beoordeling'
            else coalesce(answers.answer, 'onbekend')
        end as status,
        answers.remarks
    from grid
    left join assessed
        on grid.gemeente_code = assessed.gemeente_code
        and grid.assessment_year = assessed.assessment_year
    left join answers
        on grid.gemeente_code = answers.gemeente_code
        and grid.assessment_year = answers.assessment_year
        and grid.requirement_id = answers.requirement_id
),

per_gemeente_year as (
    select
        gemeente_code,
        assessment_year,
        any_value(has_assessment) as has_assessment,
        count(*) filter (where requirement_id like 'eis\_%' escape '\' and status = 'ja')
            as n_ja,
        count(*) filter (where requirement_id like 'eis\_%' escape '\'
            and status in ('nee', 'deels')) as n_not_met
    from answered
    group by gemeente_code, assessment_year
),

all_nine as (
    select
        gemeente_code,
        assessment_year,
        'alle_negen' as requirement_id,
        has_assessment,
        case
            when not has_assessment then 'geen_beoordeling'
            when n_ja = 9 then 'ja'
            when n_not_met > 0 then 'nee'
            else 'onbekend'
        end as status,
        null::varchar as remarks
    from per_gemeente_year
),

combined as (
    select * from answered
    union all by name
    select * from all_nine
)

select
    -- keys
    combined.gemeente_code,
    combined.assessment_year,
    combined.requirement_id,
    -- status of this gemeente
    combined.has_assessment,
    combined.status,
    combined.remarks,
    if(per_gemeente_year.has_assessment, per_gemeente_year.n_ja, null)::integer
        as n_requirements_met,
    -- provenance of the assessment (null without one)
    assessed.assessment_date,
    assessed.source_file,
    assessed.source_row
from combined
inner join per_gemeente_year
    on combined.gemeente_code = per_gemeente_year.gemeente_code
    and combined.assessment_year = per_gemeente_year.assessment_year
left join assessed
    on combined.gemeente_code = assessed.gemeente_code
    and combined.assessment_year = assessed.assessment_year

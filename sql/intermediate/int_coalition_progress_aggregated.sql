-- Checklist counts per area (each gemeente on its own, and every region from its member
-- gemeenten: GGD-regio, provincie, Nederland, custom regions) per year and checklist row.
-- Grain: area_code × assessment_year × requirement_id.
-- Counts of gemeenten: n_gemeenten members, of which n_assessed sent an assessment; among the
-- assessed, n_ja / n_deels / n_nee answered and n_onbekend left the question empty.
with completed as (
    select * from int_coalition_answers_completed
),

memberships as (
    select * from int_area_memberships
),

gemeenten as (
    select * from ref_gemeenten
),

members as (
    select gemeente_code as area_code, 'gemeente' as area_level, gemeente_naam as area_name,
        gemeente_code
    from gemeenten
    union all
    select area_code, area_level, area_name, gemeente_code
    from memberships
)

select
    -- keys
    members.area_code,
    members.area_level,
    any_value(members.area_name) as area_name,
    completed.assessment_year,
    completed.requirement_id,
    -- counts of gemeenten
    count(*) as n_gemeenten,
    count(*) filter (where completed.has_assessment) as n_assessed,
    count(*) filter (where completed.status = 'ja') as n_ja,
    count(*) filter (where completed.status = 'deels') as n_deels,
    count(*) filter (where completed.status = 'nee') as n_nee,
    count(*) filter (where completed.status = 'onbekend') as n_onbekend,
    -- the gemeente's own answer (gemeente rows only)
    if(members.area_level = 'gemeente', any_value(completed.status), null) as status,
    if(members.area_level = 'gemeente', any_value(completed.remarks), null) as remarks,
    if(members.area_level = 'gemeente', any_value(completed.n_requirements_met), null)
        as n_requirements_met,
    if(members.area_level = 'gemeente', any_value(completed.assessment_date), null)
        as assessment_date
from members
inner join completed on members.gemeente_code = completed.gemeente_code
group by members.area_code, members.area_level, completed.assessment_year,
    completed.requirement_id

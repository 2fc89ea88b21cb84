-- Every staged observation of every source, mapped to the catalogue's indicator_id.
-- Measures a source publishes that the catalogue does not use (e.g. population) drop out here.
with observations as (
    select * from stg_cbs_geboorten__observations
    union all by name
    select * from stg_perined_kerncijfers__observations
    union all by name
    select * from stg_rivm_kansrijke_start__observations
    union all by name
    select * from stg_rivm_vaccinatiegraad__observations
    union all by name
    select * from stg_cbs_laag_inkomen__observations
),

codes as (
    select * from ref_indicator_source_codes
),

mapped as (
    select
        codes.indicator_id,
        observations.*,
        area_level_of(observations.area_code) as source_area_level
    from observations
    inner join codes
        on observations.source_id = codes.source_id
        and observations.indicator_code = codes.indicator_code
)

select * from mapped

-- Gemeente codes in a source that are not in the CBS code history (must be empty to build).
with observations as (
    select * from int_observations_unioned
),

codes as (
    select * from ref_gemeente_codes
)

select
    observations.source_id,
    observations.source_file,
    observations.source_row,
    observations.area_code
from observations
left join codes on observations.area_code = codes.gemeente_code
where observations.source_area_level = 'gemeente'
    and codes.gemeente_code is null

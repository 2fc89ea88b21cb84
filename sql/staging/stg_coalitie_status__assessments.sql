-- One row per coalition self-assessment (gemeente × assessment year) of coalitie_status.
-- Grain: gemeente_code × assessment_year (unique: land() rejects duplicates). No joins.
-- Answers stay as published words: 'ja' / 'deels' / 'nee', null = not answered.
with source as (
    select * from landing_coalitie_status__assessments
),

renamed as (
    select
        -- keys
        'coalitie_status' as source_id,
        std_area_code(gemeente_code) as gemeente_code,
        assessment_year::integer as assessment_year,
        assessment_date::date as assessment_date,
        -- the coalition
        lower(trim(lokale_coalitie)) as lokale_coalitie,
        -- the nine minimum requirements and their remarks
        lower(trim(eis_1)) as eis_1,
        nullif(trim(eis_1_toelichting), '') as eis_1_toelichting,
        lower(trim(eis_2)) as eis_2,
        nullif(trim(eis_2_toelichting), '') as eis_2_toelichting,
        lower(trim(eis_3)) as eis_3,
        nullif(trim(eis_3_toelichting), '') as eis_3_toelichting,
        lower(trim(eis_4)) as eis_4,
        nullif(trim(eis_4_toelichting), '') as eis_4_toelichting,
        lower(trim(eis_5)) as eis_5,
        nullif(trim(eis_5_toelichting), '') as eis_5_toelichting,
        lower(trim(eis_6)) as eis_6,
        nullif(trim(eis_6_toelichting), '') as eis_6_toelichting,
        lower(trim(eis_7)) as eis_7,
        nullif(trim(eis_7_toelichting), '') as eis_7_toelichting,
        lower(trim(eis_8)) as eis_8,
        nullif(trim(eis_8_toelichting), '') as eis_8_toelichting,
        lower(trim(eis_9)) as eis_9,
        nullif(trim(eis_9_toelichting), '') as eis_9_toelichting,
        -- regional coordination and interventions offered ('ja' / 'nee')
        lower(trim(regionale_ketenregisseur)) as regionale_ketenregisseur,
        lower(trim(interventie_stevig_ouderschap)) as interventie_stevig_ouderschap,
        lower(trim(interventie_centering_zwangerschap)) as interventie_centering_zwangerschap,
        lower(trim(interventie_centering_ouderschap)) as interventie_centering_ouderschap,
        lower(trim(interventie_prenataal_huisbezoek)) as interventie_prenataal_huisbezoek,
        lower(trim(interventie_nu_niet_zwanger)) as interventie_nu_niet_zwanger,
        lower(trim(interventie_voorzorg)) as interventie_voorzorg,
        nullif(trim(overige_interventies), '') as overige_interventies,
        nullif(trim(opmerkingen), '') as opmerkingen,
        -- provenance
        published_code,
        published_name,
        source_file,
        source_row,
        _snapshot_id as snapshot_id
    from source
)

select * from renamed

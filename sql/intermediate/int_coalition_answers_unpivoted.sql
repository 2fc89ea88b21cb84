-- Every answer of every coalition self-assessment, one row per question.
-- Grain: gemeente_code × assessment_year × requirement_id (all requirement_ids of
-- int_coalition_requirements_listed except the derived 'alle_negen'). Remarks: the
-- 'Toelichting eis N' of a requirement; the general 'Opmerkingen' on the 'coalitie' row.
-- 'Overige interventies' (free text) stays in the staging model.
with assessments as (
    select * from stg_coalitie_status__assessments
),

unpivoted as (
    select
        gemeente_code,
        assessment_year,
        assessment_date,
        source_file,
        source_row,
        snapshot_id,
        unnest([
            {'requirement_id': 'coalitie', 'answer': lokale_coalitie, 'remarks': opmerkingen},
            {'requirement_id': 'eis_1', 'answer': eis_1, 'remarks': eis_1_toelichting},
            {'requirement_id': 'eis_2', 'answer': eis_2, 'remarks': eis_2_toelichting},
            {'requirement_id': 'eis_3', 'answer': eis_3, 'remarks': eis_3_toelichting},
            {'requirement_id': 'eis_4', 'answer': eis_4, 'remarks': eis_4_toelichting},
            {'requirement_id': 'eis_5', 'answer': eis_5, 'remarks': eis_5_toelichting},
            {'requirement_id': 'eis_6', 'answer': eis_6, 'remarks': eis_6_toelichting},
            {'requirement_id': 'eis_7', 'answer': eis_7, 'remarks': eis_7_toelichting},
            {'requirement_id': 'eis_8', 'answer': eis_8, 'remarks': eis_8_toelichting},
            {'requirement_id': 'eis_9', 'answer': eis_9, 'remarks': eis_9_toelichting},
            {'requirement_id': 'ketenregisseur', 'answer': regionale_ketenregisseur,
                'remarks': null::varchar},
            {'requirement_id': 'interventie_stevig_ouderschap',
                'answer': interventie_stevig_ouderschap, 'remarks': null::varchar},
            {'requirement_id': 'interventie_centering_zwangerschap',
                'answer': interventie_centering_zwangerschap, 'remarks': null::varchar},
            {'requirement_id': 'interventie_centering_ouderschap',
                'answer': interventie_centering_ouderschap, 'remarks': null::varchar},
            {'requirement_id': 'interventie_prenataal_huisbezoek',
                'answer': interventie_prenataal_huisbezoek, 'remarks': null::varchar},
            {'requirement_id': 'interventie_nu_niet_zwanger',
                'answer': interventie_nu_niet_zwanger, 'remarks': null::varchar},
            {'requirement_id': 'interventie_voorzorg', 'answer': interventie_voorzorg,
                'remarks': null::varchar}
        ]) as question
    from assessments
)

select
    -- keys
    gemeente_code,
    assessment_year,
    question.requirement_id as requirement_id,
    -- answer ('ja' / 'deels' / 'nee'; null = not answered)
    question.answer as answer,
    question.remarks as remarks,
    assessment_date,
    -- provenance
    source_file,
    source_row,
    snapshot_id
from unpivoted

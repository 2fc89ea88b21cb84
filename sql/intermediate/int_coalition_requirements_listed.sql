-- The rows of the coalition checklist as reported in coalition_progress: the coalition itself,
-- the nine minimum requirements ("Toets minimale eisen lokale coalitie Kansrijke Start"), the
-- summary 'alle_negen', the regional ketenregisseur and the interventions offered.
-- Grain: one row per requirement_id. The labels of eis_1 … eis_9 are the texts of the template
-- (pipeline.ingest.coalitie_status.REQUIREMENT_TEXTS; a test keeps them equal).
with listed as (
    select * from (
        values
        ('coalitie', 0, 'coalitie', 'Lokale coalitie',
            'Er is een lokale coalitie Kansrijke Start'),
        ('eis_1', 1, 'minimale_eis', '1 Medisch én sociaal',
            'Samenwerking tussen ten minste één partij uit het medisch én één uit het sociaal '
            || 'domein'),
        ('eis_2', 2, 'minimale_eis', '2 Plan van aanpak', 'Een plan van aanpak'),
        ('eis_3', 3, 'minimale_eis', '3 Doelgroep betrokken',
            'Een vorm van betrekken van de doelgroep (ervaringsdeskundigen, klankbord- of '
            || 'spiegelgroep)'),
        ('eis_4', 4, 'minimale_eis', '4 Doel preconceptie',
            'Een doel gericht op goed voorbereid zwanger worden (preconceptie)'),
        ('eis_5', 5, 'minimale_eis', '5 Doel onbedoeld zwanger',
            'Een doel gericht op minder onbedoelde zwangerschappen (bijv. Nu Niet Zwanger)'),
        ('eis_6', 6, 'minimale_eis', '6 Doel eerder signaleren',
            'Een doel gericht op beter en eerder signaleren van een hulp- of steunvraag'),
        ('eis_7', 7, 'minimale_eis', '7 Taalontwikkeling',
            'Aandacht voor taalontwikkeling (bijv. Boekstart)'),
        ('eis_8', 8, 'minimale_eis', '8 Samenwerkingsafspraken',
            'Eén of meer samenwerkingsafspraken op uitvoerings-, beleids- of bestuurlijk niveau'),
        ('eis_9', 9, 'minimale_eis', '9 RIVM-monitoring',
            'Deelname aan de RIVM-monitoring Kansrijke Start'),
        ('alle_negen', 10, 'samenvatting', 'Alle negen eisen',
            'Voldoet aan alle negen minimale eisen'),
        ('ketenregisseur', 11, 'regionale_coordinatie', 'Regionale ketenregisseur',
            'Er is een regionale ketenregisseur Kansrijke Start'),
        ('interventie_stevig_ouderschap', 12, 'interventie', 'Stevig Ouderschap',
            'Interventie aangeboden: Stevig Ouderschap'),
        ('interventie_centering_zwangerschap', 13, 'interventie', 'CenteringZwangerschap',
            'Interventie aangeboden: CenteringZwangerschap'),
        ('interventie_centering_ouderschap', 14, 'interventie', 'CenteringOuderschap',
            'Interventie aangeboden: CenteringOuderschap'),
        ('interventie_prenataal_huisbezoek', 15, 'interventie', 'Prenataal huisbezoek',
            'Interventie aangeboden: Prenataal huisbezoek'),
        ('interventie_nu_niet_zwanger', 16, 'interventie', 'Nu Niet Zwanger',
            'Interventie aangeboden: Nu Niet Zwanger'),
        ('interventie_voorzorg', 17, 'interventie', 'VoorZorg',
            'Interventie aangeboden: VoorZorg')
    ) as requirements (
        requirement_id, requirement_order, requirement_kind, requirement_short_label,
        requirement_label
    )
)

select
    requirement_id::varchar as requirement_id,
    requirement_order::integer as requirement_order,
    requirement_kind::varchar as requirement_kind,
    requirement_short_label::varchar as requirement_short_label,
    requirement_label::varchar as requirement_label
from listed

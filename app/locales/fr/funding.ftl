# Financements (/funding, /funders/{slug}, historique d'un financement,
# « Financé par » sur les pages de paquet et de mainteneur, /admin/funding).
# Chaque clé ici doit aussi être dans en/funding.ftl.
funding-title = Financements
funding-intro = Qui finance les logiciels, les mainteneurs et l'infrastructure de l'écosystème, et comment se porte ce qu'ils financent.
funding-how-totals = Les montants sont affichés dans leur propre devise, jamais convertis : les totaux sont par devise, et les financements en nature sont comptés à part. Le montant d'un financement couvre toute sa période et compte pour l'année où il commence.
funding-loading = Chargement des financements…
funding-demo-notice = Données de démonstration : ces financeurs sont fictifs et leurs montants inventés.
funding-demo-badge = démo, inventé
funding-filters = Filtrer les financements
funding-filter-kind = Type de financeur
funding-filter-currency = Devise
funding-filter-status = État
funding-any = Tous
funding-apply = Appliquer
funding-active = en cours
funding-ended = terminé
funding-csv-sponsorships = Financements (CSV)
funding-csv-totals = Totaux (CSV)
funding-json = JSON
funding-totals = Totaux par financeur et par devise
funding-totals-caption = Totaux par financeur et par devise (toutes années), des financeurs de cette page ; tous dans le CSV des totaux
funding-per-year = Par année
funding-chart-title = Financements commencés chaque année, en { $currency }
funding-funders = Financeurs
funding-none = Aucun financement enregistré pour l'instant.
funding-see-all = Tous les financements de ce financeur
funding-sponsorships = Financements
funding-no-sponsorships = Aucun.
funding-kind-foundation = Fondation
funding-kind-consortium = Consortium
funding-kind-agency = Agence ou programme public
funding-kind-company = Entreprise
funding-kind-individual = Particulier
funding-active-count = { $count ->
    [one] { $n } financement en cours
   *[other] { $n } financements en cours
}
funding-ended-count = { $count ->
    [one] { $n } terminé
   *[other] { $n } terminés
}
funding-col-funder = Financeur
funding-col-target = Finance
funding-col-amount = Montant
funding-col-period = Période
funding-col-status = État
funding-col-health = Santé de ce qui est financé
funding-col-currency = Devise
funding-col-total = Total
funding-col-count = Financements
funding-col-year = Année
funding-col-replaced = Remplacé le
funding-col-note = Note
funding-col-actions = Actions
funding-target-project = Projet
funding-target-package = Paquet
funding-target-maintainer = Mainteneur
funding-target-infrastructure = Infrastructure
funding-in-kind = en nature
funding-period = { $start } – { $end }
funding-period-open = depuis le { $start }
funding-revisions-link = { $count ->
    [0] historique
    [one] historique ({ $n } modification)
   *[other] historique ({ $n } modifications)
}
funding-ci-success = CI : { $percent } des constructions réussies (30 jours)
funding-health-none = rien de mesuré
funding-health-no-packages = aucun paquet dans le catalogue
funding-ci-none = pas de CI
funding-ci-passing = CI au vert
funding-ci-failing = { $count ->
    [one] { $n } sur { $built } en échec en CI
   *[other] { $n } sur { $built } en échec en CI
}
funding-archival-archived = sources archivées
funding-archival-partly = sources en partie archivées
funding-archival-not = sources non archivées
funding-archival-unknown = archivage inconnu
funding-packages-count = { $count ->
    [one] { $n } paquet
   *[other] { $n } paquets
}
funding-maintainers-count = { $count ->
    [one] { $n } mainteneur
   *[other] { $n } mainteneurs
}
funding-funder-title = { $name } : financements
funding-funder-not-found = Financeur inconnu
funding-active-sponsorships = Financements en cours
funding-ended-sponsorships = Financements terminés
funding-sponsorship-not-found = Financement inconnu
funding-sponsorship-title = { $funder } finance { $target }
funding-source = Source :
funding-revisions = Historique
funding-revisions-caption = Versions précédentes de ce financement, la plus récente d'abord
funding-revisions-none = Pas modifié depuis son enregistrement.
funding-op-update = modifié
funding-op-delete = supprimé
funding-current = Actuellement : { $amount }
funding-funded-by = Financé par
funding-funded-by-none = Aucun financement enregistré.
funding-via-project = (par le projet { $project })
funding-admin-title = Financements : financeurs et financements
funding-admin-intro = Enregistrer les financeurs et ce qu'ils financent. Chaque modification est dans le journal d'audit ; les modifications gardent la version précédente d'un financement.
funding-admin-new-funder = Nouveau financeur
funding-admin-edit-funder = Modifier le financeur
funding-admin-new-sponsorship = Nouveau financement
funding-admin-edit-sponsorship = Modifier le financement
funding-field-slug = Identifiant (minuscules, chiffres, tirets)
funding-field-name = Nom
funding-field-kind = Type
funding-field-country = Pays (code ISO comme FR, ou EU)
funding-field-url = Site web
funding-field-description = Description
funding-field-funder = Financeur
funding-field-target = Ce qui est financé
funding-target-help = project:CLÉ, package:ÉCOSYSTÈME/CANAL/NOM, maintainer:FORGE:IDENTIFIANT, infrastructure:ci-service:NOM, infrastructure:mirror:NOM, infrastructure:software-heritage ou infrastructure:other:NOM
funding-field-amount = Montant pour toute la période (par exemple 15000.50)
funding-field-currency = Devise (ISO 4217, par exemple EUR)
funding-field-in-kind = En nature (sans montant)
funding-field-starts = Début le
funding-field-ends = Fin le (vide si sans fin prévue)
funding-field-note = Note publique
funding-field-source = Lien vers la source
funding-save = Enregistrer
funding-import = Importer des financements depuis un CSV
funding-import-help = Un financement par ligne, les financeurs par identifiant ; si une ligne est fausse, rien n'est écrit et chaque ligne fausse est nommée. En-tête :
funding-import-label = ou le texte CSV
funding-import-file = Fichier CSV
funding-import-button = Importer
funding-edit-named = Modifier { $name }
funding-delete = Supprimer
funding-delete-funder = Supprimer { $name }
funding-delete-sponsorship = Supprimer { $name }
funding-end = Terminer
funding-end-on = Fin le
funding-form-refused = Rien n'a été écrit :
funding-form-back = Revenez au formulaire, corrigez-le et envoyez-le de nouveau.
funding-import-nothing-written = Aucune ligne n'a été importée. Lignes à corriger :
funding-done-funder-created = Financeur créé.
funding-done-funder-updated = Financeur enregistré.
funding-done-funder-deleted = Financeur supprimé.
funding-done-sponsorship-created = Financement créé.
funding-done-sponsorship-updated = Financement enregistré (la version précédente est gardée dans son historique).
funding-done-sponsorship-ended = Financement terminé.
funding-done-sponsorship-deleted = Financement supprimé.
funding-done-imported = Financements importés.

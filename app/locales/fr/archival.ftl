# Couverture de l'archivage dans Software Heritage (/archival et pages de paquets).
# Chaque clé doit aussi figurer dans en/archival.ftl.
archival-title = Couverture de l'archivage
archival-intro = Si Software Heritage conserve chaque source des paquets de chaque canal (empreintes d'archives, empreintes NAR, commits git, dépôts), l'évolution de la couverture et les forges dont l'écosystème dépend.
archival-loading = Chargement de la couverture de l'archivage…
archival-none = Aucune source n'a encore été vérifiée : lancez pacatlas archival check.
archival-demo-notice = Données de démonstration : ces résultats d'archivage ont été inventés pour la démonstration ; aucune requête n'a été faite à Software Heritage.
archival-demo-badge = démo
archival-status-archived = archivée
archival-status-missing = absente
archival-status-unknown = inconnue
archival-status-error = vérification échouée
archival-status-unchecked = non vérifiée
archival-class-commercial = commercial
archival-class-institutional = institutionnel
archival-class-other = autre
archival-reason-no-hash = ni empreinte ni commit à chercher
archival-reason-no-url = pas d'URL de dépôt
archival-reason-unsupported-origin = type d'origine non pris en charge
archival-coverage = Couverture par canal
archival-coverage-caption = Sources des paquets présents de chaque canal par état d'archivage, d'après le dernier relevé
archival-trend = Évolution de la couverture
archival-trend-none = Aucun relevé pour l'instant.
archival-trend-description = Part des sources archivées dans Software Heritage par canal, du { $first } au { $last } ({ $channels } canaux).
archival-trend-table = Les chiffres du graphique sous forme de tableau
archival-by-type = Par type d'origine
archival-by-type-caption = Sources de tous les canaux par type d'origine (URL d'archive, git, svn, hg) et état d'archivage
archival-forges = Concentration des forges
archival-forges-intro = D'où les sources sont téléchargées. Un indice de concentration élevé signifie que quelques hébergeurs détiennent la plupart des sources : leur disparition toucherait durement l'écosystème.
archival-forges-caption = Hébergeurs des sources de chaque canal, indice de concentration et part des hébergeurs commerciaux et institutionnels
archival-hhi-title = Indice de Herfindahl-Hirschman : somme des carrés des parts (en pourcentage) des hébergeurs, de presque 0 (dispersé) à 10 000 (un seul hébergeur)
archival-spof = Points de défaillance uniques
archival-spof-intro = Les hébergeurs dont la disparition laisserait le plus de sources sans copie connue dans Software Heritage, tous canaux confondus.
archival-most-depended = Paquets les plus utilisés sans copie connue
archival-most-depended-none = Toutes les sources sont archivées.
archival-missing = Sources sans copie connue
archival-missing-count = { $count ->
    [one] { $n } source sans copie connue correspond.
   *[other] { $n } sources sans copie connue correspondent.
}
archival-missing-caption = { $count ->
    [one] { $n } source, page { $page } sur { $pages }
   *[other] { $n } sources, page { $page } sur { $pages }
}
archival-csv = Télécharger en CSV
archival-any = tous
archival-any-unarchived = tous sauf archivées
archival-filter = Filtrer
archival-pages = Pages de sources
archival-previous = Page précédente
archival-next = Page suivante
archival-col-channel = Canal
archival-col-sources = Sources
archival-col-percent = Archivées (%)
archival-col-snapshot = Relevé
archival-col-revision = Révision
archival-col-origin-type = Origine
archival-col-host = Hébergeur
archival-col-hosts = Hébergeurs
archival-col-class = Type d'hébergeur
archival-col-hhi = IHH
archival-col-top-hosts = Principaux hébergeurs
archival-col-unarchived = Sans copie connue
archival-col-package = Paquet
archival-col-dependents = Dépendants
archival-col-source = Source
archival-col-status = État
archival-source-label = Software Heritage :
archival-checked-at = vérifiée le { $time }
archival-facet = Archivage
archival-facet-archived = Toutes les sources archivées
archival-facet-partly = En partie archivé
archival-facet-not = Non archivé
archival-facet-unknown = Inconnu
archival-by-ecosystem-caption = La même chose par écosystème (ses canaux additionnés)
archival-col-ecosystem = Écosystème
archival-channels = { $count ->
    [one] ({ $n } canal)
   *[other] ({ $n } canaux)
}

# État de la CI : /ci, /ci/{service}, la section Compilations d'un paquet et son historique.
ci-title = État de l’intégration continue
ci-intro = Les résultats de construction des services d’intégration continue qui construisent les canaux Guix, Spack et Nix, côte à côte.
ci-loading = Chargement des résultats de construction…
ci-no-services = Aucun service d’intégration continue ne signale encore de constructions.
ci-demo-notice = Données de démonstration : ces résultats de construction sont inventés pour montrer les pages ; ils ne viennent d’aucun vrai service.
ci-demo-badge = démo
ci-services-caption = Constructions par état, pour chaque service d’intégration continue
ci-col-service = Service d’intégration continue
ci-col-channel = Canal
ci-col-total = Total
ci-col-unresolved = Tâches non résolues
ci-col-last-build = Dernière construction
ci-status-succeeded = Réussie
ci-status-failed = Échouée
ci-status-dependency-failed = Dépendance échouée
ci-status-timed-out = Délai dépassé
ci-status-cancelled = Annulée
ci-status-other = Autre échec
ci-weather-new-failure = Nouvel échec
ci-weather-still-failing = Échoue toujours
ci-weather-fixed = Réparée
ci-weather-still-succeeding = Réussit toujours
builds-title = Constructions
builds-none = Aucun résultat de construction pour ce paquet pour l’instant.
builds-see-ci = Voir les services d’intégration continue
builds-unavailable = Les résultats de construction ne sont pas disponibles pour le moment.
builds-caption = { $count ->
    [one] Dernière construction par version et système ({ $n } construction connue)
   *[other] Dernière construction par version et système ({ $n } constructions connues)
}
builds-col-system = Système
builds-col-status = État
builds-col-weather = Tendance
builds-col-finished = Terminée
builds-build-link = Construction { $id } sur { $service }
builds-history-link = Historique complet des constructions
history-title = Constructions de { $name }
history-any = tous
history-filter = Filtrer
history-none = Aucune construction ne correspond à ces filtres.
history-caption = { $count ->
    [one] { $n } construction, page { $page } sur { $pages }
   *[other] { $n } constructions, page { $page } sur { $pages }
}
history-pages = Pages de l’historique
history-newer = Constructions plus récentes
history-older = Constructions plus anciennes
ci-new-failures = Nouveaux échecs des 7 derniers jours
ci-new-failures-none = Aucun nouvel échec ces 7 derniers jours.
ci-longest-failing = En échec depuis le plus longtemps
ci-most-depended-failing = Paquets en échec dont dépendent le plus de paquets
ci-failing-none = Aucun paquet n’est en échec.
ci-col-package = Paquet
ci-col-failing-since = En échec depuis
ci-col-dependents = Dépendants
builds-feed-link = Flux des nouveaux échecs et réparations (Atom)
ci-service-title = Service d’intégration continue { $service }
ci-all-services = Tous les services d’intégration continue
ci-service-not-found = Service d’intégration continue inconnu
ci-service-not-found-text = Aucun service d’intégration continue de ce nom ne signale de constructions ici.
ci-trend-title = Taux de réussite par semaine
ci-trend-desc = La part des constructions réussies parmi celles qui ont donné un verdict (réussie, échouée, dépendance échouée ou délai dépassé), par semaine, sur les { $weeks } semaines qui précèdent la dernière construction de chaque service. Les constructions annulées et les autres échecs sont écartés.
ci-trend-latest = { $service } : { $rate } la semaine du { $week } ({ $succeeded } constructions réussies sur { $decisive }).
ci-trend-latest-none = { $service } : aucune construction n’a donné de verdict la semaine du { $week }.
ci-trend-table = Les chiffres du graphique
ci-col-week = Semaine du
ci-trend-cell = { $rate } ({ $succeeded } sur { $decisive })
ci-trend-no-verdict = pas de verdict
ci-trend-axis = Taux de réussite (%)
facet-ci = État de la CI
facet-ci-passing = Réussit
facet-ci-failing = Échoue
facet-ci-unknown = Aucun résultat de construction

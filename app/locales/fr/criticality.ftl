# Criticité (#14) : la liste des projets critiques non financés (/funding/critical).
# Chaque clé doit aussi figurer dans en/criticality.ftl.
crit-title = Critiques mais non financés
crit-link = Critiques mais non financés : les projets dont dépendent le plus de paquets et que personne ne finance
crit-funding = Financement
crit-intro = Les projets dont dépendent le plus de paquets, dans Guix, Spack et Nix, qu’aucun parrainage ne finance et qu’une personne au plus maintient : là où le soutien compte le plus.
crit-loading = Chargement de la liste…
crit-filter-ecosystem = Écosystème
crit-filter-tag = Domaine (étiquette)
crit-any = Tous
crit-sort = Trier par
crit-sort-score = score
crit-sort-dependents = dépendants (transitifs)
crit-sort-name = nom
crit-apply = Appliquer
crit-csv = Télécharger en CSV
crit-json = JSON
crit-ecosystem-guix = Guix
crit-ecosystem-spack = Spack
crit-ecosystem-nix = Nix
crit-not-computed = La criticité n’a pas encore été calculée (pacatlas funding criticality).
crit-count = { $count ->
    [one] { $n } projet dans la liste
   *[other] { $n } projets dans la liste
}
crit-count-capped = Plus de { $n } projets dans la liste ; les { $n } premiers sont montrés
crit-computed-at = calculée le { $date }
crit-caption = Projets non financés, avec un mainteneur au plus, les plus critiques d’abord
crit-col-rank = Rang
crit-col-project = Projet
crit-col-ecosystems = Écosystèmes
crit-col-direct = Dépendants directs
crit-col-transitive = Tous les dépendants
crit-col-maintainers = Mainteneurs
crit-col-ci = CI
crit-col-archival = Archivage
crit-col-score = Score
crit-ci-none = pas de CI
crit-ci-passing = réussit
crit-ci-failing = { $n } sur { $total } en échec
crit-archival-unchecked = non vérifié
crit-archival-share = { $percent } % de { $total } sources archivées
crit-how-title = Comment le score est calculé
crit-how-project = Un projet est le même logiciel dans chaque écosystème (py-numpy dans Spack, python-numpy dans Guix et numpy dans Nix forment un seul projet).
crit-how-dependents = Ses dépendants directs sont les paquets d’autres projets, dans tous les canaux, qui dépendent d’un de ses paquets ; tous les dépendants comptent aussi les paquets qui en atteignent un par une chaîne de dépendances. Les cycles sont comptés une fois ; les paquets du projet lui-même ne comptent jamais. Les dépendances virtuelles (mpi de Spack) ne sont pas résolues vers leurs fournisseurs.
crit-how-formula = importance = log2(1 + tous les dépendants) + 0,5 × log2(1 + dépendants directs) + (écosystèmes − 1)
    fragilité = 1 + 0,5 sans mainteneur + 0,25 × part des paquets construits par une CI en échec + 0,25 × part des sources vérifiées absentes de Software Heritage
    score = importance × fragilité
crit-how-list = Dans la liste : un score supérieur à 0, aucun parrainage actif (du projet, d’un de ses paquets ou d’un de leurs mainteneurs déclarés) et un mainteneur au plus (déclaré par les canaux, ou le revendiquant après connexion).
crit-how-when = La criticité est recalculée après chaque ingestion, par le serveur dans la minute qui suit tout changement du catalogue, des financements ou des revendications, et à la demande avec pacatlas funding criticality.

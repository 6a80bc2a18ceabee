matrix-title = Matrice de support matériel
matrix-intro = Quel paquet se construit et fonctionne sur quel système, quelle micro-architecture de processeur, quelle cible GPU et quelle machine de calcul, et qui le dit : une construction en CI, l'attestation d'un site, la recette elle-même, ou une inférence depuis une construction pour une cible plus ancienne.
matrix-sites-link = Sites de calcul et leurs machines
matrix-loading = Chargement de la matrice…
matrix-unavailable = La matrice de support matériel n'est pas disponible pour le moment.
matrix-none = Aucun paquet ne correspond à ces filtres.
matrix-any = Tous
matrix-filter-channel = Canal
matrix-filter-q = Nom
matrix-filter-tag = Étiquette
matrix-filter-known = Seulement les paquets dont on sait quelque chose
matrix-filter-maintainer = Mainteneur (forge:identifiant)
matrix-maintainer-link = Leurs paquets dans la matrice de prise en charge du matériel
matrix-maintainer-invalid = Le filtre de mainteneur doit être FORGE:IDENTIFIANT, par exemple github:octocat ou gitlab.inria.fr:alice.
matrix-filter-submit = Filtrer
matrix-export-csv = { $count ->
    [one] Exporter en CSV ({ $n } paquet)
   *[other] Exporter en CSV ({ $n } paquets)
}
matrix-export-json = Cette page en JSON
matrix-demo-notice = Certaines cases viennent du jeu de données de démonstration : les résultats de CI et les attestations de sites marqués « démo » sont inventés. Les sites, les machines et les recettes sont réels.
matrix-demo-mark = démo
matrix-demo-badge = données de démonstration
matrix-caption = { $count ->
    [one] { $n } paquet, page { $page } sur { $pages }
   *[other] { $n } paquets, page { $page } sur { $pages }
}
matrix-pages = Pages de la matrice
matrix-previous = Page précédente
matrix-next = Page suivante
matrix-legend = Légende
matrix-legend-kinds = Attesté : un site l'a testé sur sa machine. Construit : un service de CI l'a construit pour cette plateforme. Déclaré : la recette dit qu'elle la prend en charge ou qu'elle est en conflit avec elle. Inféré : construit pour une cible plus ancienne de la même famille, il devrait donc fonctionner ; jamais testé.
matrix-keys-hint = Clavier : Tab atteint la première cellule ; les flèches passent d'une cellule à l'autre, Origine et Fin vont aux extrémités d'une ligne, Ctrl+Origine et Ctrl+Fin à celles du tableau, Page précédente et Page suivante de dix lignes.
matrix-kind-attested = attesté
matrix-kind-built = construit
matrix-kind-declared = déclaré
matrix-kind-inferred = inféré
matrix-kind-unknown = inconnu
matrix-status-works = fonctionne
matrix-status-partial = fonctionne en partie
matrix-status-broken = cassé
matrix-status-supported = pris en charge
matrix-status-unsupported = non pris en charge
matrix-status-unknown = rien de connu
matrix-cell-inferred-from = construit pour { $via }
matrix-cell-via = d'après { $via }
matrix-cell-source = par { $source }
matrix-cell-version = version { $version }
matrix-cell-date = le { $date }
matrix-group-gpu = GPU · { $vendor }
matrix-group-site = Site · { $site }
matrix-col-package = Paquet
matrix-col-platform = Plateforme
matrix-col-status = État
matrix-col-source = Provenance
matrix-evidence = preuve
matrix-where-title = Où il fonctionne
matrix-where-caption = Ce que l'on sait de ce paquet par plateforme
matrix-where-none = On ne sait encore rien des plateformes où ce paquet fonctionne.
matrix-where-gpu = La recette a des variantes GPU : { $models }.
matrix-where-conflicts = { $count ->
    [one] { $count } conflit de la recette concernant les plateformes
   *[other] { $count } conflits de la recette concernant les plateformes
}
matrix-where-link = Le voir dans la matrice
matrix-sites-title = Sites de calcul
matrix-sites-intro = Centres de calcul et plateformes d'expérimentation, leurs machines et partitions, et ce qu'ils attestent y fonctionner.
matrix-sites-none = Aucun site n'est encore décrit.
matrix-sites-caption = { $count ->
    [one] { $count } site
   *[other] { $count } sites
}
matrix-sites-col-site = Site
matrix-sites-col-operator = Opérateur
matrix-sites-col-machines = Machines
matrix-sites-col-partitions = Partitions
matrix-sites-col-attested = Paquets attestés
matrix-sites-not-found = Site inconnu
matrix-sites-machines = Machines et partitions
matrix-sites-machines-caption = Partitions : des nœuds d'un même type
matrix-sites-col-machine = Machine
matrix-sites-col-system = Système
matrix-sites-col-cpu = Processeur
matrix-sites-col-gpu = GPU
matrix-sites-col-nodes = Nœuds
matrix-sites-matrix = Ce que ses utilisateurs peuvent s'attendre à voir fonctionner
matrix-sites-matrix-intro = Les paquets attestés par ce site, sur ses partitions et les plateformes pour lesquelles ils sont construits.
matrix-sites-badge = Badge d'un paquet sur ce site :
matrix-sites-badge-alt = si le paquet fonctionne sur ce site
matrix-facet = Plateforme
matrix-facet-nvidia = GPU NVIDIA (CUDA)
matrix-facet-amd = GPU AMD (ROCm)

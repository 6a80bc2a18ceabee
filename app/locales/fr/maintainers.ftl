# Mainteneurs (/maintainers, /maintainers/{forge}/{handle}, les mainteneurs
# d'une page de paquet, les éléments à traiter et le flux d'un mainteneur).
# Chaque clé doit aussi être dans en/maintainers.ftl.
nav-maintainers = Mainteneurs
area-maintainers-title = Mainteneurs
area-maintainers-text = Qui s'occupe de chaque paquet, déclaré par les canaux ou revendiqué, et l'état de ses paquets.
maint-loading = Chargement du mainteneur…
maint-index-title = Mainteneurs
maint-index-intro = Les personnes qui maintiennent des paquets : déclarées dans les métadonnées des canaux (Spack, Nix) ou ayant revendiqué des paquets après connexion. Les plus nombreux paquets d'abord.
maint-index-count = { $count ->
    [one] { $n } mainteneur
   *[other] { $n } mainteneurs
}
maint-search-label = Identifiant ou nom
maint-col-maintainer = Mainteneur
maint-col-forge = Compte sur
maint-col-packages = Paquets
maint-not-found = Mainteneur inconnu
maint-not-found-text = Aucun canal ne déclare cet identifiant comme mainteneur et personne ne revendique de paquet avec lui.
maint-all = Tous les mainteneurs
maint-title = { $who } : paquets
maint-profile = Profil sur { $forge }
maint-counts-label = État des paquets
maint-packages-count = { $count ->
    [one] { $n } paquet
   *[other] { $n } paquets
}
maint-failing-count = { $count ->
    [one] { $n } en échec en CI
   *[other] { $n } en échec en CI
}
maint-unarchived-count = { $count ->
    [one] { $n } avec des sources non archivées
   *[other] { $n } avec des sources non archivées
}
maint-outdated-count = { $count ->
    [one] { $n } en retard de version
   *[other] { $n } en retard de version
}
maint-feed = Flux Atom de ce qui demande attention
maint-feed-link-title = Ce qui demande l'attention de { $handle } (Atom)
maint-json = JSON
maint-packages = Paquets
maint-sort-by = Trier par :
maint-sort-name = nom
maint-sort-health = état (les pires d'abord)
maint-col-package = Paquet
maint-col-as = Mainteneur en tant que
maint-col-ci = CI
maint-col-archival = Software Heritage
maint-col-upstream = Autres écosystèmes
maint-declared = déclaré
maint-declared-verified = déclaré, revendication vérifiée
maint-claimant = revendiqué
maint-claim-verified = revendication vérifiée
maint-claim-approved = revendication approuvée
maint-ci-passing = réussit
maint-ci-failing = échoue
maint-ci-none = aucune construction
maint-since = depuis le { $date }
maint-archival-archived = archivé
maint-archival-partly = archivé en partie
maint-archival-not = non archivé
maint-archival-unknown = inconnu
maint-missing-of = { $n } sur { $sources } manquantes
maint-outdated = version plus récente :
maint-not-outdated = aucune version plus récente connue
maint-inbox-empty = Rien ne demande attention.
maint-inbox-ci = { $count ->
    [one] { $n } construction en échec
   *[other] { $n } constructions en échec
}
maint-inbox-archival = { $count ->
    [one] { $n } source non archivée dans Software Heritage
   *[other] { $n } sources non archivées dans Software Heritage
}
maint-inbox-outdated = version plus récente { $newer }
maint-feed-title = Pacatlas : ce qui demande l'attention de { $handle }
maint-feed-ci-title = { $package } dans { $channel } : la CI échoue
maint-feed-ci-summary = Les dernières constructions de { $package } dans { $channel } échouent ({ $count } en échec).
maint-feed-archival-title = { $package } dans { $channel } : sources non archivées
maint-feed-archival-summary = Software Heritage n'a aucune copie de { $count } source(s) de { $package } dans { $channel }.
maint-feed-outdated-title = { $package } dans { $channel } : version plus récente { $newer }
maint-feed-outdated-summary = { $where } a { $newer }, plus récent que { $package } dans { $channel }.
maint-inbox-title = Vos éléments à traiter
maint-inbox-intro = Ce qui demande votre attention dans les paquets déclarés pour vos comptes ou revendiqués : échecs de CI, sources absentes de Software Heritage, versions plus récentes dans d'autres écosystèmes. Les plus récents d'abord.
maint-inbox-login = Connectez-vous pour voir vos éléments à traiter.
maint-inbox-count = { $count ->
    [one] { $n } élément
   *[other] { $n } éléments
}

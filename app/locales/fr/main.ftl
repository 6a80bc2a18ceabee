# Pacatlas, messages en français. Chaque clé doit aussi être dans
# en/main.ftl (un test unitaire de pacatlas-app le vérifie). $n est un nombre
# déjà écrit à la française ; $count est le même nombre, pour le pluriel.

## Cadre des pages
skip-link = Aller au contenu
site-description = Pacatlas : recherche, état des constructions, prise en charge matérielle, archivage et financement des paquets HPC de GNU Guix, Spack et Nix.
header-home-label = Accueil de Pacatlas
header-search-placeholder = Rechercher des paquets (touche / pour y aller)
search-packages = Rechercher des paquets
action-search = Rechercher
nav-label = Principale
nav-packages = Paquets
nav-matrix = Matrice
nav-ci = CI
nav-archival = Archivage
nav-funding = Financement
lang-switch-label = Langue
lang-switch-button = Lire ce site en français
lang-switch-forbidden = La langue ne peut être changée que depuis une page de ce site.
lang-switch-unknown = Cette langue n’est pas disponible.
footer-about = Pacatlas recense les paquets HPC de GNU Guix, Spack et Nix : constructions, prise en charge matérielle, archivage des sources, et qui les maintient et les finance.
footer-channels = Canaux
footer-api = API JSON
footer-status = État
copy-copy = Copier
copy-copied = Copié

## Durées
time-just-now = à l’instant
time-minutes-ago = { $count ->
    [one] il y a { $n } minute
   *[other] il y a { $n } minutes
}
time-hours-ago = { $count ->
    [one] il y a { $n } heure
   *[other] il y a { $n } heures
}
time-days-ago = { $count ->
    [one] il y a { $n } jour
   *[other] il y a { $n } jours
}
time-months-ago = il y a { $n } mois
time-years-ago = { $count ->
    [one] il y a { $n } an
   *[other] il y a { $n } ans
}

## Accueil
home-title = L’atlas des paquets HPC
home-lead = Cherchez dans GNU Guix, Spack et Nix à la fois, et voyez où chaque paquet se construit, si sa source est archivée, et qui le fait vivre.
home-search-label = Nom de paquet, thème ou spec Spack
home-search-placeholder = p. ex. petsc, hdf5+mpi, numpy
home-areas-title = Ce que vous trouverez ici
area-packages-title = Paquets
area-packages-text = Tous les paquets des canaux Guix, Spack et Nix : versions, licences, sources, dépendances, et le même logiciel dans les autres écosystèmes.
area-matrix-title = Matrice matérielle
area-matrix-text = Quel paquet se construit et tourne sur quel système, quelle micro-architecture de processeur, quelle cible GPU et quel centre HPC, et qui l’affirme.
area-ci-title = État de la CI
area-ci-text = Les résultats de construction de Cuirass, Hydra et GitLab CI dans un même vocabulaire, avec historique, régressions, flux et badges.
area-archival-title = Archivage
area-archival-text = Si Software Heritage conserve la source de chaque paquet, par canal et par forge.
area-funding-title = Financement
area-funding-text = Les mainteneurs, fondations et subventions derrière les paquets, et ce que personne ne maintient ni ne finance.

## Page introuvable
not-found-title = Page introuvable
not-found-text = Il n’y a pas de page à cette adresse. Cherchez plutôt le paquet :
not-found-home = Retour à l’accueil

## Canaux
server-timeout = Le serveur a mis trop de temps à répondre à cette requête. Réessayez dans un instant.
server-panic = Erreur interne du serveur : le problème a été consigné. Réessayez plus tard.
catalog-unavailable = Le catalogue n’est pas disponible pour le moment.
channels-title = Paquets par canal
channels-lead = Tous les canaux que Pacatlas recense, avec la révision lue en dernier.
channels-loading = Chargement des canaux…
channels-empty = Aucun canal n’a encore été importé. Chargez-en un avec l’une de ces commandes :
channels-caption = { $channels ->
    [one] { $nc } canal
   *[other] { $nc } canaux
}, { $count ->
    [one] { $n } paquet
   *[other] { $n } paquets
}
col-ecosystem = Écosystème
col-channel = Canal
col-packages = Paquets
col-removed = Retirés
col-revision = Révision
col-ingested = Importé
channel-loading = Chargement du canal…
channel-not-found-title = Canal introuvable
channel-not-found-text = Aucun canal de ce nom n’a été importé.
channel-see-all = Voir tous les canaux
breadcrumb-label = Fil d’Ariane
breadcrumb-channels = Canaux
channel-repository = Dépôt
channel-last-ingested = Dernier import
channel-package-count = { $packages } ({ $count ->
    [one] { $n } retiré
   *[other] { $n } retirés
})
channel-history = Historique des imports
col-started = Début
col-added = Ajoutés
col-updated = Modifiés
col-unchanged = Inchangés
col-duration = Durée
col-inputs = Entrées
duration-seconds = { $s } s
channel-warnings = { $count ->
    [one] { $n } avertissement
   *[other] { $n } avertissements
}
failures-title = Imports échoués
failures-text = Ces imports ont été refusés ; le catalogue est resté tel qu’il était avant chacun d’eux.
col-failed = Échec
col-where = Où
col-error = Erreur
badge-removed = retiré
pager-label = Pages
pager-previous = ← Précédente
pager-next = Suivante →
pager-page = Page { $page } sur { $pages }

## Paquet
package-loading = Chargement du paquet…
package-not-found-title = Paquet introuvable
package-not-found-text = Ce canal n’a pas de paquet de ce nom.
package-search-everywhere = Le chercher dans tous les canaux
package-removed = Ce paquet a été retiré du canal.
package-last-seen = Vu pour la dernière fois à la révision { $revision }.
package-removal-noticed = Retrait constaté le { $date }.
package-install = Installer
package-copy-install = Copier la commande d’installation
package-facts = Informations
package-homepage = Site
package-repository = Dépôt
package-licence = Licence
package-not-declared = non déclarée
package-when = si { $condition }
package-maintainers = Mainteneurs
package-none-declared = aucun déclaré
package-defined-in = Défini dans
package-build-system = Système de construction
package-gpu = Prise en charge GPU
package-provides = Fournit
package-tags = Étiquettes
package-platforms = Plateformes
package-used-by = Utilisé par
package-used-by-count = { $count ->
    [one] { $n } paquet de ce canal
   *[other] { $n } paquets de ce canal
}
package-also-in = Aussi empaqueté dans
package-in-channel = dans { $channel }
package-sources = Sources
package-variants = Variantes
col-variant = Variante
col-default = Par défaut
col-values = Valeurs
col-description = Description
package-conflicts = Conflits
package-conflicts-text = Les configurations que la recette refuse de construire.
col-spec = Spec
col-when = Si
col-reason = Raison
package-versions = Versions ({ $n })
col-version = Version
col-source = Source
badge-preferred = préférée
badge-deprecated = obsolète
source-sha256-title = sha256 du fichier
source-nar-title = sha256 de la sérialisation NAR
package-dependencies = Dépendances
package-dependencies-count = Dépendances ({ $n })
package-no-dependencies = Aucune déclarée.
dependency-virtual = { $count ->
    [one] virtuel : { $n } fournisseur
   *[other] virtuel : { $n } fournisseurs
}

## Recherche
search-title = Recherche
search-title-query = { $q } – recherche
search-placeholder = Nom de paquet, thème ou spec Spack (hdf5+mpi)
search-searching = Recherche…
search-unavailable = La recherche n’est pas disponible pour le moment.
search-cannot-run = Cette recherche ne peut pas être lancée : { $error }.
search-problem-too-long = la requête dépasse { $max } caractères
search-problem-too-many-values = { $max } valeurs « { $facet } » au plus peuvent être données
search-problem-value-too-long = une valeur « { $facet } » dépasse { $max } octets
search-problem-page-too-far = une recherche montre { $max } pages au plus
search-filters = Filtres
facet-ecosystem = Écosystème
facet-channel = Canal
facet-licence = Licence
search-degraded = Le moteur de recherche ne répond pas : ces résultats viennent d’une recherche de secours plus simple et peuvent être moins pertinents.
search-no-match = Aucun paquet ne correspond à « { $q } ».
search-past-end = La page { $page } est au-delà de la dernière page ({ $pages }).
search-range-capped = { $first }–{ $last } des { $total } premiers paquets sur { $matches }
search-range = { $count ->
    [one] { $first }–{ $last } sur { $n } paquet
   *[other] { $first }–{ $last } sur { $n } paquets
}
search-spec = Spec Spack
search-took = { $ms } ms
search-result-pages = Pages de résultats

## CI status
feed-channel-title = Nouveaux échecs et réparations dans { $channel }
feed-package-title = Nouveaux échecs et réparations de { $name } dans { $channel }
feed-entry-on = { $package } sur { $system }

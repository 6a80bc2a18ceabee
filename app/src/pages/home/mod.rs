use leptos::prelude::*;
use leptos_meta::Title;

/// What each area of the portal answers, shown on the home page.
const AREAS: [(&str, &str, &str); 5] = [
    ("Packages", "/packages", "Every package of the Guix, Spack and Nix channels: versions, licences, sources, dependencies, and the same software in the other ecosystems."),
    ("Hardware matrix", "/matrix", "Which package builds and runs on which system, CPU micro-architecture, GPU target and HPC site, and who says so."),
    ("CI status", "/ci", "Build results from Cuirass, Hydra and GitLab CI in one vocabulary, with history, regressions, feeds and badges."),
    ("Archival", "/archival", "Whether Software Heritage holds each package's source, per channel and per forge."),
    ("Funding", "/funding", "Maintainers, foundations and grants behind the packages, and what nobody maintains or funds."),
];

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <Title text=""/>
        <section class="hero" aria-labelledby="hero-title">
            <h1 id="hero-title">"The atlas of HPC packages"</h1>
            <p class="lead">
                "Search GNU Guix, Spack and Nix at once, and see where each package builds, "
                "whether its source is archived, and who keeps it alive."
            </p>
            <form class="hero-search" role="search" method="get" action="/search">
                <label for="hero-q">"Package name, topic or Spack spec"</label>
                <div class="hero-search__row">
                    <input id="hero-q" type="search" name="q" placeholder="e.g. petsc, hdf5+mpi, numpy" autocomplete="off"/>
                    <button type="submit">"Search"</button>
                </div>
            </form>
        </section>
        <section class="areas" aria-labelledby="areas-title">
            <h2 id="areas-title">"What you can find here"</h2>
            <ul class="area-grid">
                {AREAS
                    .iter()
                    .map(|(title, href, text)| view! {
                        <li class="card">
                            <h3><a href=*href>{*title}</a></h3>
                            <p>{*text}</p>
                        </li>
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

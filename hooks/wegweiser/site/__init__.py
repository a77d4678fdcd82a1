"""What a visitor sees: pages from templates, the page plan of each language, frames,
paging, maps, search, links, the site's own assets (scripts, styles, Leaflet)."""

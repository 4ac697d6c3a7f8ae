"""Files the app ships (icons, translations, desktop files): installed as `codex_link.resources`."""

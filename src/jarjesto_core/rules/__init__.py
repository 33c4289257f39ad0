"""Assessment rules: the base types (:mod:`.base`) and the core rule set (:mod:`.core`)."""

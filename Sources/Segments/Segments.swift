// Domain values and loaders: contacts, interaction templates, segments. (To be written.)

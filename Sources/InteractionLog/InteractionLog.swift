// The interaction log store. (To be written.)

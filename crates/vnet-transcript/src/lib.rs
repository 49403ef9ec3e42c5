//! vnet-transcript

//! vnet-shell

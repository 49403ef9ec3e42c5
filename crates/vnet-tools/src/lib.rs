//! vnet-tools

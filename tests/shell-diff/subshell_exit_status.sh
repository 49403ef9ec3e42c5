( exit 3 ) || echo "failed with $?"
if ! ( false ); then echo negated; fi

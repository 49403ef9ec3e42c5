printf '%s\n' Apple banana Cherry | grep -vic an
printf '%s\n' Apple banana Cherry | grep -in -e apple -e CHERRY

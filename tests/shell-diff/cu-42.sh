expr length hello
expr substr hello 2 3
expr index hello l
expr hello : 'h.*'
expr hello : 'x'; echo rc=$?
expr eth0 : 'eth\([0-9]*\)'
expr match 10.0.0.1 '[0-9]*'
expr 0 \| 5
expr 3 \& 0; echo rc=$?

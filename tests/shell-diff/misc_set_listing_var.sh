zzz_test_var='hello world'
set | while read -r line; do case $line in zzz_test_var=*) echo "$line";; esac; done

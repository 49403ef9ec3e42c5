shopt -s nullglob; echo none*.zzz end; shopt nullglob; shopt -u nullglob; shopt nullglob; echo $?
shopt -s bogus; echo $?
shopt -q nullglob; echo $?

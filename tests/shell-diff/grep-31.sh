echo two | grep -H two - 
echo two | grep --label=in -c two -

eval 'if then'
echo "st=$?"

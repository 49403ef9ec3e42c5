(( 1 +
echo x

echo "$(echo "inner \"quoted\"")"
echo "a $(echo 'b c') d"

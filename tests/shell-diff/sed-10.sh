echo /usr/local/bin | sed 's|/|:|g'
echo 'a/b' | sed 's/[\/]/X/g'
echo 'xay x.y' | sed 's.x\.y.Q.'

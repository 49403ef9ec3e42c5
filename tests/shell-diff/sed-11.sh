echo aabbcd | sed 's/\(.\)\1/<\1\1>/g'
echo aab | sed -E 's/a+|b/X/g'

echo aabbcc | tr abc x
echo aabbccd | tr -s a-c x
echo aabbcc | tr -t abc x
echo ab-cd | tr -c 'a-z\n' _
echo MiXed | tr '[:upper:][:lower:]' '[:lower:][:upper:]'
echo abc | tr abc '[x*]'

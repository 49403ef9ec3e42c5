true | false | true
echo ${PIPESTATUS[@]}
false
echo ${PIPESTATUS[0]}
(exit 3) | (exit 4); echo "${PIPESTATUS[*]}"

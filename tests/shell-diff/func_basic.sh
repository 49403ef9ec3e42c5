greet() {
  echo "hello $1"
}
greet world
greet "big world"
function bye { echo "bye $#"; }
bye a b c
function both() { echo both; }
both

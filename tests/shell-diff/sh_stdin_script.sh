echo 'echo from stdin' | bash

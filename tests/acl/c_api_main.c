/* A C program using the ACL API end to end; exits non-zero if any call misbehaves. */
#include <stdio.h>

int uses_every_declaration(void);

int main(void) {
    int failures = uses_every_declaration();
    printf("c api check: %d failures\n", failures);
    return failures == 0 ? 0 : 1;
}

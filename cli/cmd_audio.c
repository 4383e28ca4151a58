/* placeholder */
#include "cli.h"
int cmd_audio(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 2;
}
int cmd_mfcc(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 2;
}
int cmd_melspec(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 2;
}
int cmd_tide_audio(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return 2;
}
